import { z } from 'zod';
import { TAGS } from '../services/content-schema.ts';
import { isTimeZone } from '../services/schedule.ts';

/** Option schemas several commands share, so each is parsed and explained the same way everywhere. */

/** A comma-separated list of case tags ("recsys,ranking"). */
export const tagListOption = (noun: 'tags' | 'topics', description: string) =>
  z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((tag) => tag.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(TAGS, { error: `use ${noun} from: ${TAGS.join(', ')}` })))
    .optional()
    .meta({ description });

/** An IANA time zone ("Europe/Berlin"). */
export const timeZoneOption = (description: string) =>
  z
    .string()
    .refine(isTimeZone, 'use an IANA time zone such as Europe/Berlin or America/New_York')
    .optional()
    .meta({ description });
