import { useEffect, useState } from 'react';
import {
  THEME_CHOICES,
  THEME_STORAGE_KEY,
  applyThemeChoice,
  parseThemeChoice,
  saveThemeChoice,
  storedThemeChoice,
  type ThemeChoice,
} from './theme-choice';

const LABELS: Record<ThemeChoice, string> = { system: 'System', light: 'Light', dark: 'Dark' };

/** System / light / dark; a choice made in another tab applies here too. */
export function ThemeToggle() {
  const [choice, setChoice] = useState<ThemeChoice>(storedThemeChoice);

  useEffect(() => {
    const onStorage = (e: StorageEvent) => {
      if (e.key !== THEME_STORAGE_KEY && e.key !== null) return;
      const next = parseThemeChoice(e.key === null ? null : e.newValue);
      applyThemeChoice(next);
      setChoice(next);
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, []);

  return (
    <fieldset className="segmented" data-testid="theme-toggle">
      <legend className="visually-hidden">Theme</legend>
      {THEME_CHOICES.map((c) => (
        <button
          key={c}
          type="button"
          aria-pressed={choice === c}
          data-theme-choice={c}
          onClick={() => {
            saveThemeChoice(c);
            setChoice(c);
          }}
        >
          {LABELS[c]}
        </button>
      ))}
    </fieldset>
  );
}
