import OpenAI from 'openai';
import type { CaseStudy } from '../../content/schema.ts';
import type { StepKey } from '../core/framework.ts';
import {
  type Grade,
  gradeAnswer,
  gradeFrom,
  judgmentsFromReview,
  REVIEW_JSON_SCHEMA,
  reviewMessages,
  ruleJudgments,
} from '../engines/grading/index.ts';
import type { Deps } from './deps.ts';

const clients = new WeakMap<Deps, OpenAI>();

function clientFor(deps: Deps): OpenAI | undefined {
  const { MLSD_LLM_BASE_URL: baseURL, MLSD_LLM_MODEL: model } = deps.config;
  if (!baseURL || !model) return undefined;
  let client = clients.get(deps);
  if (!client) {
    // Local servers (Ollama, vLLM, llama.cpp) need no key; the SDK wants a string anyway.
    client = new OpenAI({ baseURL, apiKey: deps.config.MLSD_LLM_API_KEY ?? 'unused', maxRetries: 0 });
    clients.set(deps, client);
  }
  return client;
}

/**
 * Grades an answer, with the optional language-model reviewer when one is configured: the model judges the
 * rubric concepts with quotes, the code scores. A timeout, an error or a reply that fails the checks falls
 * back to the built-in grader, with a log line and a metric and nothing else the member sees.
 */
export async function gradeWithReviewer(
  deps: Deps,
  study: CaseStudy,
  text: string,
  focus: StepKey | null,
): Promise<Grade> {
  const client = clientFor(deps);
  if (!client) return gradeAnswer(deps.library, study, text, { focus });
  const started = performance.now();
  const log = deps.log.child({ reviewer: deps.config.MLSD_LLM_MODEL, case: study.id });
  try {
    const completion = await client.chat.completions.create(
      {
        model: deps.config.MLSD_LLM_MODEL as string,
        temperature: 0,
        messages: reviewMessages(deps.library, study, text),
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'rubric_review', strict: true, schema: REVIEW_JSON_SCHEMA },
        },
      },
      { timeout: deps.config.MLSD_LLM_TIMEOUT_MS, maxRetries: 0 },
    );
    const content = completion.choices[0]?.message?.content ?? '';
    let reply: unknown;
    try {
      reply = JSON.parse(content);
    } catch {
      reply = undefined;
    }
    const judged = judgmentsFromReview(
      deps.library,
      study,
      text,
      reply,
      ruleJudgments(deps.library, study, text),
    );
    if ('error' in judged) {
      deps.metrics?.reviewed?.('malformed');
      log.warn({ reason: judged.error }, 'reviewer reply unusable; graded by the built-in rules');
      return gradeAnswer(deps.library, study, text, { focus });
    }
    deps.metrics?.reviewed?.('ok');
    log.info(
      { ms: Math.round(performance.now() - started), dropped: judged.dropped },
      'reviewed by the model',
    );
    return gradeFrom(deps.library, study, text, judged.judgments, { focus });
  } catch (error) {
    const timeout = error instanceof OpenAI.APIConnectionTimeoutError;
    deps.metrics?.reviewed?.(timeout ? 'timeout' : 'error');
    log.warn({ err: error, timeout }, 'reviewer unavailable; graded by the built-in rules');
    return gradeAnswer(deps.library, study, text, { focus });
  }
}
