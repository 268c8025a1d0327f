import { sequenceText } from '../import-export/export-sequence';
import { layerCountText, openSequenceText } from '../import-export/open-sequence';
import { readSequence } from '../import-export/read-sequence';
import { documentFromJson, documentToJson } from '../lib/sequence-document';
import { currentSequenceJson, graphStore } from '../stores/graph-store';
import { uiStore } from '../stores/ui-store';
import { decodeSharePayload, sharePayloadOf } from './share-link';
import { shareStore } from './share-store';

/** Drops the fragment from the address, so a reload does not offer the link again. */
function forgetFragment(): void {
  const { pathname, search } = globalThis.location;
  globalThis.history.replaceState(globalThis.history.state, '', `${pathname}${search}`);
}

/** The canvas holds nothing a shared sequence could take from the user: empty, or the same sequence. */
function nothingToLose(sharedText: string): boolean {
  const state = graphStore.getState();
  if (state.nodes.length === 0) return true;
  const read = readSequence(sharedText);
  if (!read.ok) return false;
  const shared = sequenceText(documentToJson(documentFromJson(read.json).document));
  return shared === sequenceText(currentSequenceJson(state));
}

/** Replaces the canvas with a checked shared sequence: one undo step. */
export function acceptShare(text: string): void {
  const result = openSequenceText(text);
  shareStore.getState().setPending(undefined);
  if (result.ok)
    uiStore
      .getState()
      .notify(
        'success',
        `Opened the shared sequence ${result.json.name ?? ''} (${layerCountText(result.json.layers.length)}). Ctrl+Z brings back what was on the canvas.`,
      );
}

/**
 * Opens the sequence a link's fragment carries. `userWork`: the canvas is the
 * user's own (restored from a visit or edited), not the first visit's demo.
 * With work at stake and a different sequence in the link, nothing changes
 * until the user confirms (`shareStore.pending`); otherwise it opens at once.
 * Either way it is one undo step.
 */
export async function openSharedFragment(hash: string, userWork: boolean): Promise<void> {
  const payload = sharePayloadOf(hash);
  if (payload === undefined) return;
  forgetFragment();
  let text: string;
  try {
    text = await decodeSharePayload(payload);
  } catch (error) {
    uiStore.getState().notify('error', (error as Error).message);
    return;
  }
  const read = readSequence(text);
  if (!read.ok) {
    const first = read.problems[0];
    uiStore
      .getState()
      .notify(
        'error',
        `This link's sequence cannot be opened: ${first ? `${first.path ? `\`${first.path}\` ` : ''}${first.message}` : 'it is not a sequence'}${read.problems.length > 1 ? ` (and ${read.problems.length - 1} more problems)` : ''}.`,
      );
    return;
  }
  if (!userWork || nothingToLose(text)) acceptShare(text);
  else shareStore.getState().setPending({ text, json: read.json });
}

/**
 * Opens a shared link given at start-up and any pasted into the address bar
 * later. `restored`: the canvas came from the user's last visit.
 */
export function installShareLinks(restored: boolean): () => void {
  const start = graphStore.getState().revision;
  void openSharedFragment(globalThis.location.hash, restored);
  const onHashChange = () =>
    void openSharedFragment(
      globalThis.location.hash,
      restored || graphStore.getState().revision !== start,
    );
  globalThis.addEventListener('hashchange', onHashChange);
  return () => globalThis.removeEventListener('hashchange', onHashChange);
}
