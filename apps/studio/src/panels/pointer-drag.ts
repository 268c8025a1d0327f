/**
 * Follows a drag that starts on `event`'s element (a splitter): the element
 * captures the pointer, `onMove` gets each move until the pointer is released.
 */
export function followPointerDrag(
  event: React.PointerEvent<HTMLElement>,
  onMove: (move: PointerEvent) => void,
): void {
  event.preventDefault();
  const handle = event.currentTarget;
  handle.setPointerCapture(event.pointerId);
  const end = () => {
    handle.removeEventListener('pointermove', onMove);
    handle.removeEventListener('pointerup', end);
    handle.removeEventListener('pointercancel', end);
  };
  handle.addEventListener('pointermove', onMove);
  handle.addEventListener('pointerup', end);
  handle.addEventListener('pointercancel', end);
}
