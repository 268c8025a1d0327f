import { createContext } from 'react';

/**
 * Whether the canvas is zoomed out to plain tiles (`LOW_DETAIL_ZOOM`). A
 * context, not a store read in each node: it changes only when the zoom
 * crosses the threshold, so panning and zooming cost the nodes nothing.
 */
export const LowDetailContext = createContext(false);
