import { describe, expect, it } from 'vitest';
import { deepArray, deepObject, rawJson, renderJson } from './hostile-values.ts';

describe('renderJson', () => {
  it('writes raw pieces verbatim, so numbers JavaScript cannot hold reach the server as sent', () => {
    const text = renderJson({
      amount: rawJson('9007199254740993'),
      rate: rawJson('0.1000000000000000055511'),
      name: 'x',
    });

    expect(text).toBe('{"amount":9007199254740993,"rate":0.1000000000000000055511,"name":"x"}');
  });

  it('keeps a prototype key defined as an own property, and escapes lone surrogates', () => {
    const body = Object.defineProperty({ email: '\ud800' }, '__proto__', {
      value: { polluted: true },
      enumerable: true,
    });

    expect(renderJson(body)).toBe('{"email":"\\ud800","__proto__":{"polluted":true}}');
  });

  it('builds nesting of the asked depth as text', () => {
    let depth = 0;
    let node: unknown = JSON.parse(renderJson(deepArray(10_000)));
    while (Array.isArray(node) && node.length > 0) [node, depth] = [node[0], depth + 1];

    expect(depth).toBe(9_999);
    expect(renderJson(deepObject(2))).toBe('{"a":{"a":null}}');
  });
});
