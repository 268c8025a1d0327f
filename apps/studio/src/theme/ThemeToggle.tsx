import { selectThemePreference, themeStore, useThemeStore } from './theme-store';

const LABEL = {
  system: 'Theme: as the system (click for light)',
  light: 'Theme: light (click for dark)',
  dark: 'Theme: dark (click to follow the system)',
} as const;
const ICON = { system: '◐', light: '☀', dark: '☾' } as const;

/** Cycles the theme: as the system → light → dark. */
export function ThemeToggle() {
  const preference = useThemeStore(selectThemePreference);
  return (
    <button
      type="button"
      className="button ghost theme-toggle"
      onClick={() => themeStore.getState().cycle()}
      title={LABEL[preference]}
      aria-label={LABEL[preference]}
      data-testid="theme-toggle"
      data-preference={preference}
    >
      {ICON[preference]}
    </button>
  );
}
