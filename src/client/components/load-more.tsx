/** The "Load more" button under a list whose next page useMorePages fetches; nothing when there is none. */
export function LoadMore({
  hasNext,
  loading,
  onLoad,
}: {
  hasNext: boolean;
  loading: boolean;
  onLoad: () => void;
}) {
  if (!hasNext) return null;
  return (
    <div className="actions">
      <button type="button" className="button button--secondary" disabled={loading} onClick={onLoad}>
        {loading ? "Loading…" : "Load more"}
      </button>
    </div>
  );
}
