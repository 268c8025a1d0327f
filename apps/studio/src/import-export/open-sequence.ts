import { graphStore } from '../stores/graph-store';
import { storedSequencesStore } from '../stores/stored-sequences-store';
import { type ReadResult, readSequence } from './read-sequence';

/**
 * Reads sequence text as Import does and, when the engine accepts it,
 * replaces the canvas (one undo step; missing positions are laid out).
 * `storedName` is the server name it came from: it becomes the default name
 * of the next save, and a sequence from anywhere else clears it.
 */
export function openSequenceText(text: string, storedName?: string): ReadResult {
  const result = readSequence(text);
  if (!result.ok) return result;
  graphStore.getState().loadSequence(result.json);
  storedSequencesStore.getState().setLastName(storedName);
  return result;
}

/** `3 layers`, `1 layer`. */
export function layerCountText(count: number): string {
  return `${count} layer${count === 1 ? '' : 's'}`;
}
