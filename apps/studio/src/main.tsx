import '@xyflow/react/dist/style.css';
import './styles.css';
import './studio-fixes.css';
import './theme/dark.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { persistSequence, restoreSequence } from './import-export/persistence';
import { persistSession, restoreSession } from './import-export/session-persistence';
import { operationCalls } from './operations';
import { installRunBelongsToSequence } from './run/run-belongs';
import { probeServer } from './server-probe';
import { installShareLinks } from './share/open-shared-link';
import { installShortcuts } from './shortcuts';
import { graphStore } from './stores/graph-store';
import { runStore } from './stores/run-store';
import { uiStore } from './stores/ui-store';
import { installTheme } from './theme/theme-store';
import { restoreOtlpEndpoint } from './tracing/tracing';

installRunBelongsToSequence();
const restored = restoreSequence(graphStore) === 'restored';
persistSequence(graphStore);
restoreSession(uiStore, runStore);
persistSession(uiStore, runStore);
restoreOtlpEndpoint();
installShortcuts();
installTheme();
installShareLinks(restored);
probeServer();
// Read-only diagnostics for the console and the end-to-end tests.
Object.assign(window, { fusyncStudio: { operationCalls } });

const root = document.getElementById('root');
if (!root) throw new Error('The page has no #root element.');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
