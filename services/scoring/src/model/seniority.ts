/** How senior a person is, derived from their job title. */
export const seniorities = ['c_level', 'vp', 'director', 'manager', 'individual'] as const;
export type Seniority = (typeof seniorities)[number];

const cLevelAcronyms = new Set([
  'ceo',
  'cto',
  'cfo',
  'coo',
  'cmo',
  'cro',
  'cio',
  'ciso',
  'cdo',
  'cpo',
  'cso',
  'cco',
  'chro',
  'cao',
]);
const vpAcronyms = new Set(['vp', 'svp', 'evp', 'avp']);

/** Lower-case words of a title: `V.P., Sales & Co-Founder` → `v p sales co founder`. */
function wordsOf(title: string): string {
  return title
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const hasWord = (words: string, word: string) => ` ${words} `.includes(` ${word} `);

function isCLevel(words: string, list: readonly string[]): boolean {
  if (list.some((word) => cLevelAcronyms.has(word))) return true;
  if (hasWord(words, 'chief') && !hasWord(words, 'chief of staff')) return true;
  if (/(^| )(co )?founder( |$)/.test(words) || hasWord(words, 'cofounder')) return true;
  // A product owner is a role in a team, not the owner of the business.
  if (hasWord(words, 'owner') && !hasWord(words, 'product owner')) return true;
  if (hasWord(words, 'managing director')) return true;
  // "President" alone is the top of a company; "Vice President" is a VP.
  return /(^| )president( |$)/.test(words) && !/vice ?president/.test(words);
}

function isVp(words: string, list: readonly string[]): boolean {
  return list.some((word) => vpAcronyms.has(word)) || /vice ?president/.test(words) || hasWord(words, 'v p');
}

/**
 * The seniority a job title implies, the highest when it names several ("VP and Director" is a VP);
 * `individual` for a title that names none, `undefined` without a title.
 */
export function seniorityOf(jobTitle: string | undefined): Seniority | undefined {
  const words = wordsOf(jobTitle ?? '');
  if (words === '') return undefined;
  // The assistant of an executive carries the executive's title but not their seniority.
  if (/(^| )assistant (to|of) /.test(words)) return 'individual';
  const list = words.split(' ');
  if (isCLevel(words, list)) return 'c_level';
  if (isVp(words, list)) return 'vp';
  if (hasWord(words, 'director') || hasWord(words, 'head') || hasWord(words, 'chief of staff')) return 'director';
  if (
    hasWord(words, 'manager') ||
    hasWord(words, 'mgr') ||
    hasWord(words, 'team lead') ||
    hasWord(words, 'supervisor')
  ) {
    return 'manager';
  }
  return 'individual';
}
