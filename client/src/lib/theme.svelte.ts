/** Light or dark: the system's choice unless the visitor picked one (kept across visits). */
export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

const STORAGE_KEY = 'arena.theme';

export class ThemeState {
  #theme = $state<Theme>('system');

  constructor() {
    const stored = typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY);
    if (stored && (THEMES as readonly string[]).includes(stored)) this.#theme = stored as Theme;
    this.#apply();
  }

  get theme(): Theme {
    return this.#theme;
  }

  set(theme: Theme): void {
    this.#theme = theme;
    localStorage.setItem(STORAGE_KEY, theme);
    this.#apply();
  }

  /** `data-theme` on <html>: app.css follows the system when it is absent. */
  #apply(): void {
    if (typeof document === 'undefined') return;
    if (this.#theme === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = this.#theme;
  }
}
