import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import matter from 'gray-matter';
import YAML from 'yaml';
import type { z } from 'zod';
import {
  type CaseStudy,
  caseFrontMatterSchema,
  type TradeoffCard,
  tradeoffCardSchema,
} from './content-schema.ts';

/** Where the shipped study material lives (`content/` at the project root). */
export const CONTENT_DIR = fileURLToPath(new URL('../../content/', import.meta.url)).replace(
  /dist[\\/]content[\\/]?$/,
  'content/',
);

export type ContentProblem = { file: string; field: string; reason: string };

export type Library = {
  cases: Map<string, CaseStudy>;
  cards: Map<string, TradeoffCard>;
  problems: ContentProblem[];
};

const yamlEngine = { parse: (text: string) => YAML.parse(text) as object };

function listFiles(dir: string, extensions: readonly string[]): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => extensions.some((ext) => name.endsWith(ext)))
      .sort()
      .map((name) => join(dir, name));
  } catch {
    return [];
  }
}

function zodProblems(file: string, error: z.ZodError): ContentProblem[] {
  return error.issues.map((issue) => ({
    file,
    field: issue.path.join('.') || '(root)',
    reason: issue.message,
  }));
}

/**
 * Reads and validates every case study and trade-off card under `dir`. Never throws for bad content:
 * each problem is reported with its file and field, and only valid entries are kept.
 */
export function loadLibrary(dir: string = CONTENT_DIR): Library {
  const problems: ContentProblem[] = [];
  const cases = new Map<string, CaseStudy>();
  const cards = new Map<string, TradeoffCard>();
  const rel = (file: string) => relative(join(dir, '..'), file);

  for (const file of listFiles(join(dir, 'case-studies'), ['.md'])) {
    let parsed: matter.GrayMatterFile<string>;
    try {
      parsed = matter(readFileSync(file, 'utf8'), { engines: { yaml: yamlEngine } });
    } catch (error) {
      problems.push({ file: rel(file), field: '(front matter)', reason: (error as Error).message });
      continue;
    }
    const result = caseFrontMatterSchema.safeParse(parsed.data);
    if (!result.success) {
      problems.push(...zodProblems(rel(file), result.error));
      continue;
    }
    const data = result.data;
    if (basename(file, '.md') !== data.id) {
      problems.push({ file: rel(file), field: 'id', reason: `id "${data.id}" must match the file name` });
    }
    const scenario = parsed.content.trim();
    if (scenario.length < 80) {
      problems.push({
        file: rel(file),
        field: '(body)',
        reason: 'the Markdown body must hold the scenario (at least 80 characters)',
      });
    }
    if (cases.has(data.id)) {
      problems.push({ file: rel(file), field: 'id', reason: `duplicate case id "${data.id}"` });
      continue;
    }
    for (const [step, content] of Object.entries(data.steps)) {
      const seen = new Set<string>();
      content.concepts.forEach((concept, index) => {
        const key = concept.term.toLowerCase();
        if (seen.has(key)) {
          problems.push({
            file: rel(file),
            field: `steps.${step}.concepts.${index}.term`,
            reason: `duplicate concept "${concept.term}" in this step`,
          });
        }
        seen.add(key);
      });
    }
    cases.set(data.id, { ...data, scenario, file: rel(file) });
  }

  for (const file of listFiles(join(dir, 'tradeoffs'), ['.yaml', '.yml'])) {
    let raw: unknown;
    try {
      raw = YAML.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      problems.push({ file: rel(file), field: '(yaml)', reason: (error as Error).message });
      continue;
    }
    const result = tradeoffCardSchema.safeParse(raw);
    if (!result.success) {
      problems.push(...zodProblems(rel(file), result.error));
      continue;
    }
    if (cards.has(result.data.id)) {
      problems.push({ file: rel(file), field: 'id', reason: `duplicate card id "${result.data.id}"` });
      continue;
    }
    cards.set(result.data.id, { ...result.data, file: rel(file) });
  }

  for (const study of cases.values()) {
    study.tradeoffs.forEach((cardId, index) => {
      if (!cards.has(cardId)) {
        problems.push({
          file: study.file,
          field: `tradeoffs.${index}`,
          reason: `unknown trade-off card id "${cardId}"`,
        });
      }
    });
  }
  for (const card of cards.values()) {
    card.cases.forEach((caseId, index) => {
      if (!cases.has(caseId)) {
        problems.push({ file: card.file, field: `cases.${index}`, reason: `unknown case id "${caseId}"` });
      }
    });
  }

  return { cases, cards, problems };
}
