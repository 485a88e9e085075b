/**
 * Light, dark or the system's setting, remembered per browser (localStorage) and applied as
 * `data-theme` on <html>; styles.css turns that into `color-scheme`, which every colour token
 * (`light-dark()`) and the native controls follow. With no choice the system decides, in CSS alone.
 */
export const THEME_CHOICES = ['system', 'light', 'dark'] as const;
export type ThemeChoice = (typeof THEME_CHOICES)[number];

export const THEME_STORAGE_KEY = 'mcptrail.theme';

export function parseThemeChoice(value: string | null): ThemeChoice {
  return THEME_CHOICES.find((c) => c === value) ?? 'system';
}

export function storedThemeChoice(): ThemeChoice {
  try {
    return parseThemeChoice(localStorage.getItem(THEME_STORAGE_KEY));
  } catch {
    return 'system';
  }
}

export function applyThemeChoice(choice: ThemeChoice): void {
  const root = document.documentElement;
  if (choice === 'system') delete root.dataset.theme;
  else root.dataset.theme = choice;
}

export function saveThemeChoice(choice: ThemeChoice): void {
  try {
    if (choice === 'system') localStorage.removeItem(THEME_STORAGE_KEY);
    else localStorage.setItem(THEME_STORAGE_KEY, choice);
  } catch {
    // not remembered, still applied
  }
  applyThemeChoice(choice);
}
