import { ReactFlowProvider } from '@xyflow/react';
import { Canvas } from './canvas/Canvas';
import { Inspector } from './components/Inspector';
import { Notice } from './components/Notice';
import { Palette } from './components/Palette';
import { Toolbar } from './components/Toolbar';
import { ImportDialog } from './import-export/ImportDialog';
import { OpenFromServerDialog } from './import-export/OpenFromServerDialog';
import { SaveToServerDialog } from './import-export/SaveToServerDialog';
import { RunPanel } from './panels/RunPanel';

export function App() {
  return (
    <ReactFlowProvider>
      <div className="studio">
        <Toolbar />
        <Palette />
        <Canvas />
        <Inspector />
        <RunPanel />
      </div>
      <ImportDialog />
      <SaveToServerDialog />
      <OpenFromServerDialog />
      <Notice />
    </ReactFlowProvider>
  );
}
