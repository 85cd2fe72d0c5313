import type { ComponentProps } from 'react';
import type { GraphiQL } from 'graphiql';

type GraphiQLStorage = NonNullable<ComponentProps<typeof GraphiQL>['storage']>;

/**
 * GraphiQL keeps tabs (queries and variables), history and settings in localStorage by default. Here the
 * variables are passport numbers, MRZs and names typed at a border post, often on shared workstations, so the
 * explorer keeps them in memory like the token: nothing of a session outlives the browser tab. The examples
 * menu makes starting again cheap.
 */
export function memoryStorage(): GraphiQLStorage {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => {
      items.set(key, String(value));
    },
    removeItem: (key) => {
      items.delete(key);
    },
    clear: () => items.clear(),
    get length() {
      return items.size;
    },
  };
}
