// Which code a run measured: services load whatever the working tree holds when they start, so a
// figure names the commit and how many files under services/ and packages/ differed from it.
import { execFileSync } from 'node:child_process';

export type CodeVersion = { commit: string; uncommittedFiles: number };

export function codeVersion(repositoryRoot: string): CodeVersion {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repositoryRoot, encoding: 'utf8' }).trim();
  try {
    const changed = git('status', '--porcelain', '--', 'services', 'packages');
    return {
      commit: git('rev-parse', '--short', 'HEAD'),
      uncommittedFiles: changed === '' ? 0 : changed.split('\n').length,
    };
  } catch {
    return { commit: 'unknown', uncommittedFiles: 0 };
  }
}
