import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';

/** What the user chose: follow the system (`prefers-color-scheme`), or one theme always. */
export type ThemePreference = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

export const THEME_KEY = 'fusync.studio.theme';
const ORDER: readonly ThemePreference[] = ['system', 'light', 'dark'];

export interface ThemeStore {
  preference: ThemePreference;
  /** The theme in force: the preference, or the system's for `system`. */
  theme: Theme;
  /** System → light → dark → system. */
  cycle(): void;
}

function systemTheme(): Theme {
  return globalThis.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

function savedPreference(): ThemePreference {
  try {
    const saved = globalThis.localStorage?.getItem(THEME_KEY);
    return ORDER.includes(saved as ThemePreference) ? (saved as ThemePreference) : 'system';
  } catch {
    return 'system';
  }
}

function resolve(preference: ThemePreference): Theme {
  return preference === 'system' ? systemTheme() : preference;
}

export const themeStore = createStore<ThemeStore>()((set, get) => {
  const preference = savedPreference();
  return {
    preference,
    theme: resolve(preference),
    cycle() {
      const next = ORDER[(ORDER.indexOf(get().preference) + 1) % ORDER.length] as ThemePreference;
      try {
        if (next === 'system') globalThis.localStorage?.removeItem(THEME_KEY);
        else globalThis.localStorage?.setItem(THEME_KEY, next);
      } catch {
        // The choice holds for this visit.
      }
      set({ preference: next, theme: resolve(next) });
    },
  };
});

/**
 * Puts the theme on `<html data-theme>` (what the stylesheets key on) and
 * follows the system's changes while the preference is `system`.
 */
export function installTheme(): () => void {
  const apply = () => {
    document.documentElement.dataset.theme = themeStore.getState().theme;
  };
  apply();
  const unsubscribe = themeStore.subscribe(apply);
  const media = globalThis.matchMedia?.('(prefers-color-scheme: dark)');
  const onChange = () => {
    if (themeStore.getState().preference === 'system')
      themeStore.setState({ theme: systemTheme() });
  };
  media?.addEventListener('change', onChange);
  return () => {
    unsubscribe();
    media?.removeEventListener('change', onChange);
  };
}

export function useThemeStore<T>(selector: (state: ThemeStore) => T): T {
  return useStore(themeStore, selector);
}

export const selectTheme = (state: ThemeStore) => state.theme;
export const selectThemePreference = (state: ThemeStore) => state.preference;
