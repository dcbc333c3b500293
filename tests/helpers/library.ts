import { type Library, loadLibrary } from '../../src/services/content.ts';
import type { Deps } from '../../src/services/deps.ts';
import * as library from '../../src/services/library.ts';
import type { FakeServices } from './commands.ts';

let content: Library | undefined;

/** The study content, loaded once per test file. */
export function studyContent(): Library {
  content ??= loadLibrary();
  return content;
}

/** The library use-cases over the real content: they are pure, so command tests use them as they are. */
export function libraryServices(): FakeServices['library'] {
  const deps = { library: studyContent() } as Deps;
  return {
    showCase: (id) => library.showCase(deps, id),
    showCard: (id) => library.showCard(deps, id, () => 0),
    showFramework: (step) => library.showFramework(deps, step),
  };
}
