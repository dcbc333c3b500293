import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import matter from 'gray-matter';
import YAML from 'yaml';
import type { z } from 'zod';
import {
  type CaseStudy,
  caseFrontMatterSchema,
  FRAMEWORK_PARTS,
  type Framework,
  type FrameworkStep,
  frameworkFrontMatterSchema,
  type TradeoffCard,
  tradeoffCardSchema,
} from '../../content/schema.ts';
import { STEPS } from '../core/framework.ts';

/** Where the shipped study material lives (`content/` at the project root). */
export const CONTENT_DIR = fileURLToPath(new URL('../../content/', import.meta.url)).replace(
  /dist[\\/]content[\\/]?$/,
  'content/',
);

/** The study library has problems; start-up refuses to run on it. */
export class ContentError extends Error {
  override name = 'ContentError';
}

export type ContentProblem = { file: string; field: string; reason: string };

export type Library = {
  cases: Map<string, CaseStudy>;
  cards: Map<string, TradeoffCard>;
  framework: Framework | undefined;
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
    for (const step of STEPS) {
      study.steps[step].concepts.forEach((concept, index) => {
        if (concept.card && !cards.has(concept.card)) {
          problems.push({
            file: study.file,
            field: `steps.${step}.concepts.${index}.card`,
            reason: `unknown trade-off card id "${concept.card}"`,
          });
        }
      });
    }
  }
  for (const card of cards.values()) {
    card.cases.forEach((caseId, index) => {
      if (!cases.has(caseId)) {
        problems.push({ file: card.file, field: `cases.${index}`, reason: `unknown case id "${caseId}"` });
      }
    });
  }

  const framework = loadFramework(join(dir, 'framework.md'), rel, problems);
  return { cases, cards, framework, problems };
}

/** Splits Markdown into `## heading` -> body (or `###` with level 3). */
function sectionsOf(markdown: string, level: 2 | 3): Map<string, string> {
  const marker = `${'#'.repeat(level)} `;
  const sections = new Map<string, string>();
  let heading: string | undefined;
  let lines: string[] = [];
  const flush = () => {
    if (heading !== undefined) sections.set(heading, lines.join('\n').trim());
  };
  for (const line of markdown.split('\n')) {
    if (line.startsWith(marker)) {
      flush();
      heading = line.slice(marker.length).trim();
      lines = [];
    } else if (heading !== undefined) {
      lines.push(line);
    }
  }
  flush();
  return sections;
}

function loadFramework(
  file: string,
  rel: (file: string) => string,
  problems: ContentProblem[],
): Framework | undefined {
  let parsed: matter.GrayMatterFile<string>;
  try {
    parsed = matter(readFileSync(file, 'utf8'), { engines: { yaml: yamlEngine } });
  } catch (error) {
    problems.push({ file: rel(file), field: '(file)', reason: (error as Error).message });
    return undefined;
  }
  const result = frameworkFrontMatterSchema.safeParse(parsed.data);
  if (!result.success) {
    problems.push(...zodProblems(rel(file), result.error));
    return undefined;
  }
  const sections = sectionsOf(parsed.content, 2);
  const steps: FrameworkStep[] = [];
  for (const step of result.data.steps) {
    const body = sections.get(step.title);
    if (body === undefined) {
      problems.push({
        file: rel(file),
        field: `## ${step.title}`,
        reason: 'missing the section for this step',
      });
      continue;
    }
    const parts = sectionsOf(body, 3);
    const missing = FRAMEWORK_PARTS.filter((part) => !parts.get(part));
    if (missing.length > 0) {
      problems.push({
        file: rel(file),
        field: `## ${step.title}`,
        reason: `missing ### ${missing.join(', ### ')}`,
      });
      continue;
    }
    steps.push({
      ...step,
      parts: Object.fromEntries(
        FRAMEWORK_PARTS.map((part) => [part, parts.get(part) ?? '']),
      ) as FrameworkStep['parts'],
    });
  }
  const communication = sections.get('Communication habits');
  if (!communication)
    problems.push({ file: rel(file), field: '## Communication habits', reason: 'missing section' });
  const intro = parsed.content.split('\n## ')[0]?.trim() ?? '';
  return steps.length === result.data.steps.length
    ? { intro, steps, communication: communication ?? '' }
    : undefined;
}
