/** Characters of a name the engine's `renderTimeline` keeps (its default `nameWidth`). */
export const TIMELINE_NAME_WIDTH = 14;
/** Characters of a name inside a box of the engine's `renderGraph`. */
export const GRAPH_NAME_WIDTH = 13;

/**
 * Under an ASCII view: the names it cut to fit its column, in full. The
 * ASCII text stays what a terminal prints (the seed format); this says
 * what each cut name stands for, and two layers cut to the same text are
 * listed together.
 */
export function CutNames({ names, width }: { names: readonly string[]; width: number }) {
  const cut = new Map<string, string[]>();
  for (const name of names) {
    const chars = Array.from(name);
    if (chars.length <= width) continue;
    const short = chars.slice(0, width).join('');
    const list = cut.get(short);
    if (list) list.push(name);
    else cut.set(short, [name]);
  }
  if (cut.size === 0) return null;
  return (
    <div className="cut-names" data-testid="cut-names">
      <span className="muted">Names cut to {width} characters, in full:</span>
      {[...cut].map(([short, full]) => (
        <span key={short} className="cut-name" title={full.join(', ')}>
          <code>{short}</code> {full.join(', ')}
        </span>
      ))}
    </div>
  );
}
