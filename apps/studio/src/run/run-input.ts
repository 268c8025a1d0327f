/** The run input typed by the user: a JSON object, or a message saying what is wrong. */
export function parseRunInput(
  text: string,
): { ok: true; value: Record<string, unknown> } | { ok: false; message: string } {
  if (text.trim() === '') return { ok: true, value: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `The run input is not valid JSON: ${(error as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      ok: false,
      message: 'The run input must be a JSON object, such as { "productId": "p-100" }.',
    };
  }
  return { ok: true, value: value as Record<string, unknown> };
}
