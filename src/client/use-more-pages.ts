import { useState } from "react";
import { apiProblem } from "./errors";

export interface Connection<T> {
  edges: { node: T }[];
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
}

/**
 * "Load more" under a connection's first page: the pages loaded after it, kept while `key` (the
 * query's variables) stays the same and dropped when it changes. `fetchPage` asks for the page after a
 * cursor; a failure goes to `onError` as a sentence.
 */
export function useMorePages<T>(
  key: string,
  first: Connection<T> | null | undefined,
  fetchPage: (after: string | null) => Promise<Connection<T> | null | undefined>,
  onError: (message: string) => void,
) {
  const [more, setMore] = useState<{ key: string; rows: T[]; cursor: string | null; hasNext: boolean }>();
  const [loadingMore, setLoadingMore] = useState(false);
  const extra = more?.key === key ? more : undefined;
  const rows = [...(first?.edges.map((e) => e.node) ?? []), ...(extra?.rows ?? [])];
  const hasNext = extra ? extra.hasNext : !!first?.pageInfo.hasNextPage;
  const cursor = extra ? extra.cursor : (first?.pageInfo.endCursor ?? null);

  async function loadMore() {
    setLoadingMore(true);
    try {
      const page = await fetchPage(cursor);
      if (page) {
        setMore({
          key,
          rows: [...(extra?.rows ?? []), ...page.edges.map((e) => e.node)],
          cursor: page.pageInfo.endCursor,
          hasNext: page.pageInfo.hasNextPage,
        });
      }
    } catch (err) {
      onError(apiProblem(err).form ?? "The next page could not be loaded.");
    } finally {
      setLoadingMore(false);
    }
  }

  return { rows, hasNext, loadingMore, loadMore, reset: () => setMore(undefined) };
}
