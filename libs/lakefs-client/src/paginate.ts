import type { PagedResponse } from './lakefs.types';

/**
 * Iterates every result of a paged lakeFS endpoint, fetching one page at a time.
 * `fetchPage` receives the `after` offset of the page to read ('' for the first).
 */
export async function* paginate<T>(fetchPage: (after: string) => Promise<PagedResponse<T>>): AsyncGenerator<T> {
  let after = '';
  for (;;) {
    const page = await fetchPage(after);
    yield* page.results;
    if (!page.pagination.has_more || !page.pagination.next_offset) return;
    after = page.pagination.next_offset;
  }
}

/** Collects an async iterable into an array (for small listings and tests). */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}
