import type { SequenceJson } from 'fusync';

/** The text a sequence is exported as: the engine's JSON, two-space indented, as `save()` writes it. */
export function sequenceText(json: SequenceJson): string {
  return `${JSON.stringify(json, null, 2)}\n`;
}

/** A file name for a sequence: its name, made safe. */
export function sequenceFileName(json: SequenceJson): string {
  const base =
    (json.name ?? 'sequence').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') ||
    'sequence';
  return `${base}.fusync.json`;
}

/** Offers the sequence as a file download. */
export function downloadSequence(json: SequenceJson): void {
  const blob = new Blob([sequenceText(json)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = sequenceFileName(json);
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Copies text to the clipboard; falls back to a hidden textarea where the Clipboard API is refused. */
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    // Insecure contexts and denied permissions land here.
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  const copied = document.execCommand('copy');
  area.remove();
  if (!copied) throw new Error('The browser refused to copy to the clipboard.');
}
