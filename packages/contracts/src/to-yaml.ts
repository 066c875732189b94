/** A value JSON can hold, which is all the generated documents contain. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

const plainKey = /^[A-Za-z_$][\w$.-]*$/;

function inline(value: Json): string {
  if (Array.isArray(value)) return '[]';
  if (value !== null && typeof value === 'object') return '{}';
  // JSON's string escapes are valid in YAML double-quoted scalars, so strings never need YAML quoting rules.
  return JSON.stringify(value);
}

function isNested(value: Json): value is Json[] | { [key: string]: Json } {
  return value !== null && typeof value === 'object' && Object.keys(value).length > 0;
}

function lines(value: Json, indent: number): string[] {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      if (!isNested(item)) return [`${pad}- ${inline(item)}`];
      const [first = '', ...rest] = lines(item, indent + 2);
      return [`${pad}- ${first.slice(indent + 2)}`, ...rest];
    });
  }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => {
      const name = plainKey.test(key) ? key : JSON.stringify(key);
      return isNested(item) ? [`${pad}${name}:`, ...lines(item, indent + 2)] : [`${pad}${name}: ${inline(item)}`];
    });
  }
  return [`${pad}${inline(value)}`];
}

/** Block-style YAML for JSON data: every string double-quoted, keys quoted unless plain identifiers. */
export function toYaml(value: Json): string {
  return `${lines(value, 0).join('\n')}\n`;
}
