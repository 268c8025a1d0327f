import '@xyflow/react/dist/style.css';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { persistSequence, restoreSequence } from './import-export/persistence';
import { operationCalls } from './operations';
import { probeServer } from './server-probe';
import { installShareLinks } from './share/open-shared-link';
import { installShortcuts } from './shortcuts';
import { graphStore } from './stores/graph-store';
import { restoreOtlpEndpoint } from './tracing/tracing';

const restored = restoreSequence(graphStore) === 'restored';
persistSequence(graphStore);
restoreOtlpEndpoint();
installShortcuts();
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
