import type { KeyboardEvent } from 'react';

/**
 * Arrow keys in a tab list, as the ARIA tabs pattern has them: Left/Right
 * (and Up/Down) move to the previous/next tab, wrapping; Home and End to the
 * first and last. The tab is selected and focused. Returns true when the
 * key was one of them.
 */
export function onTabListKey<T extends string>(
  event: KeyboardEvent<HTMLElement>,
  tabs: readonly T[],
  current: T,
  select: (tab: T) => void,
): boolean {
  const at = tabs.indexOf(current);
  let next: number;
  switch (event.key) {
    case 'ArrowRight':
    case 'ArrowDown':
      next = (at + 1) % tabs.length;
      break;
    case 'ArrowLeft':
    case 'ArrowUp':
      next = (at - 1 + tabs.length) % tabs.length;
      break;
    case 'Home':
      next = 0;
      break;
    case 'End':
      next = tabs.length - 1;
      break;
    default:
      return false;
  }
  event.preventDefault();
  const tab = tabs[next] as T;
  select(tab);
  const list = event.currentTarget;
  requestAnimationFrame(() => list.querySelectorAll<HTMLElement>('[role="tab"]')[next]?.focus());
  return true;
}
