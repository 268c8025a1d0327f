import { renderGraph } from 'fusync';
import { useMemo } from 'react';
import { graphStore, selectRevision, useGraphStore } from '../stores/graph-store';
import { CopyButton } from './CopyButton';
import { CutNames, GRAPH_NAME_WIDTH } from './CutNames';

/** The engine's ASCII dependency graph of the sequence on the canvas. */
export function GraphView() {
  const revision = useGraphStore(selectRevision);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the graph store's revision says when the layers changed.
  const result = useMemo(() => {
    const nodes = graphStore
      .getState()
      .nodes.map((node) => ({ name: node.id, dependsOn: node.data.layer.dependsOn ?? [] }));
    if (nodes.length === 0) return { text: undefined, error: undefined };
    try {
      return {
        text: renderGraph(nodes),
        error: undefined,
        names: nodes.map((node) => node.name),
      };
    } catch (error) {
      return { text: undefined, error: (error as Error).message };
    }
  }, [revision]);
  if (result.error)
    return (
      <div className="empty-state">
        <strong>No graph</strong>
        <span>{result.error}</span>
      </div>
    );
  if (result.text === undefined) {
    return (
      <div className="empty-state">
        <strong>No layers</strong>
        <span>The ASCII dependency graph of the sequence appears here as you draw it.</span>
      </div>
    );
  }
  return (
    <div className="ascii-view">
      <div className="view-toolbar">
        <span>renderGraph(layers) of the sequence on the canvas</span>
        <span className="spacer" />
        <CopyButton text={result.text} testId="copy-graph" />
      </div>
      <pre className="ascii" data-testid="ascii-graph">
        {result.text}
      </pre>
      <CutNames names={result.names ?? []} width={GRAPH_NAME_WIDTH} />
    </div>
  );
}
