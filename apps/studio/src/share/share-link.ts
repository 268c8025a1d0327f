import type { SequenceJson } from 'fusync';

/**
 * A sequence in a link: its JSON (the same as Export's, canvas positions
 * included), compressed with the browser's own `CompressionStream`
 * (`deflate-raw`) and written in base64url, in the URL's fragment — which
 * browsers never send to a server. `#share=1.<data>`: `1` is the encoding's
 * version, so a later one can be told apart.
 */
export const SHARE_KEY = 'share';
const VERSION = '1';

/**
 * Longest link the studio offers. Browsers take far longer URLs (Chromium
 * 2 MB), but the places links travel through do not: 8,000 characters is
 * where common HTTP servers and proxies start refusing request lines (nginx
 * and Apache default to 8 KB, CDNs 8–16 KB) and some chat and mail clients cut
 * or refuse links. Beyond it the studio offers the JSON file instead.
 */
export const SHARE_LINK_LIMIT = 8000;

async function transform(
  bytes: Uint8Array<ArrayBuffer>,
  stream: GenericTransformStream,
): Promise<Uint8Array<ArrayBuffer>> {
  const body = new Response(bytes).body;
  if (!body) throw new Error('The browser gave no stream to compress.');
  return new Uint8Array(await new Response(body.pipeThrough(stream)).arrayBuffer());
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  // In slices: String.fromCharCode takes its arguments on the stack.
  for (let at = 0; at < bytes.length; at += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The fragment value (after `#share=`) that carries `json`. */
export async function encodeSharePayload(json: SequenceJson): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(json));
  return `${VERSION}.${toBase64Url(await transform(bytes, new CompressionStream('deflate-raw')))}`;
}

/** Thrown when a link's fragment is not a sequence the studio wrote. */
export class ShareLinkError extends Error {
  override name = 'ShareLinkError';
}

/** The JSON text a fragment value carries; throws `ShareLinkError` when it is damaged. */
export async function decodeSharePayload(payload: string): Promise<string> {
  const dot = payload.indexOf('.');
  const version = dot < 0 ? '' : payload.slice(0, dot);
  if (version !== VERSION)
    throw new ShareLinkError(
      `This link's sequence is in format \`${version || '?'}\`, which this studio does not read (it reads \`${VERSION}\`). Ask for the JSON file instead.`,
    );
  try {
    const bytes = await transform(
      fromBase64Url(payload.slice(dot + 1)),
      new DecompressionStream('deflate-raw'),
    );
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    throw new ShareLinkError(
      'This link is damaged: its sequence could not be decompressed (was it cut short when it was sent?). Ask for the JSON file instead.',
      { cause: error },
    );
  }
}

/** The link that opens `json`: `base` (the studio's address, fragment dropped) with the fragment. */
export async function shareLink(json: SequenceJson, base: string): Promise<string> {
  const url = new URL(base);
  url.hash = `${SHARE_KEY}=${await encodeSharePayload(json)}`;
  return url.toString();
}

/** The payload of a location's fragment, when it carries a shared sequence. */
export function sharePayloadOf(hash: string): string | undefined {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  return params.get(SHARE_KEY) ?? undefined;
}
