import { ReactFlowProvider } from '@xyflow/react';
import type { ReactNode } from 'react';
import { Canvas } from './canvas/Canvas';
import { Inspector } from './components/Inspector';
import { Palette } from './components/Palette';
import { ShortcutHelp } from './components/ShortcutHelp';
import { Toolbar } from './components/Toolbar';
import { FindDialog } from './find/FindDialog';
import { ImportDialog } from './import-export/ImportDialog';
import { OpenFromServerDialog } from './import-export/OpenFromServerDialog';
import { SaveToServerDialog } from './import-export/SaveToServerDialog';
import { RunPanel } from './panels/RunPanel';
import { RerunDialog } from './run/RerunDialog';
import { ShareDialogs } from './share/ShareDialogs';
import { selectSelectedKey, useGraphStore } from './stores/graph-store';
import { selectInspectorTab, useUiStore } from './stores/ui-store';

/**
 * The studio's grid. A layer's run details get a wider inspector: argument
 * values need the room. Its children are made by `App`, which does not
 * re-render, so a change of width re-renders none of them.
 */
function StudioGrid({ children }: { children: ReactNode }) {
  const selectedKey = useGraphStore(selectSelectedKey);
  const inspectorTab = useUiStore(selectInspectorTab);
  const wide = inspectorTab === 'details' && selectedKey !== '' && !selectedKey.includes('\n');
  return <div className={wide ? 'studio wide-inspector' : 'studio'}>{children}</div>;
}

export function App() {
  return (
    <ReactFlowProvider>
      <StudioGrid>
        <Toolbar />
        <Palette />
        <Canvas />
        <Inspector />
        <RunPanel />
      </StudioGrid>
      <ImportDialog />
      <SaveToServerDialog />
      <OpenFromServerDialog />
      <RerunDialog />
      <ShareDialogs />
      <FindDialog />
      <ShortcutHelp />
    </ReactFlowProvider>
  );
}
