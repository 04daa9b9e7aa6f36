/**
 * Builds the `values` object of each row of one upload. An object literal with constant keys is
 * created by V8 in one step with its final shape, while filling an object through computed keys
 * costs several times more, and this runs once per row of files up to millions of rows. So the
 * literal is generated once per upload from the profile's field ids. The ids are embedded as JSON
 * string literals and cell values are only ever passed in as data, so no file content becomes code.
 */

/** Makes `values` objects: `fields[i]` → `cells[i]`, keys in `fields` order. */
export type ValuesFactory = (cells: readonly string[]) => Record<string, string>;

function assigningFactory(fields: readonly string[]): ValuesFactory {
  return (cells) => {
    const values: Record<string, string> = {};
    fields.forEach((field, i) => {
      Object.defineProperty(values, field, { value: cells[i], enumerable: true, writable: true, configurable: true });
    });
    return values;
  };
}

/** A factory for `fields`; falls back to plain assignment where code generation is disabled. */
export function valuesFactory(fields: readonly string[]): ValuesFactory {
  // `__proto__` in a literal sets the prototype instead of a property: never generate it.
  if (fields.includes('__proto__')) return assigningFactory(fields);
  const entries = fields.map((field, i) => `${JSON.stringify(field)}: cells[${i}]`);
  try {
    return new Function('cells', `'use strict'; return { ${entries.join(', ')} };`) as ValuesFactory;
  } catch {
    return assigningFactory(fields);
  }
}
