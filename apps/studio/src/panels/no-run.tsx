/** What a run view shows before any run. */
export function NoRun({ what }: { what: string }) {
  return (
    <div className="empty-state">
      <strong>No run yet</strong>
      <span>
        {what} appears here after <em>Run in browser</em>, <em>Run on server</em> or{' '}
        <em>Simulate</em>.
      </span>
    </div>
  );
}
