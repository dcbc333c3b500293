import { z } from 'zod';
import { TAGS } from '../content/schema.ts';
import { createKit } from './core/define.ts';
import type { Services } from './services/index.ts';
import { isTimeZone } from './services/schedule.ts';

/**
 * What files in commands/ and jobs/ are written with: the kernel's definition helpers typed for the bot's
 * services, and the option schemas several commands share (each parsed and explained the same way).
 */
export const { defineCommand, subcommand, defineJob } = createKit<Services>();
export { userOption } from './core/args.ts';
export { adminOnly, cooldown } from './core/define.ts';

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
