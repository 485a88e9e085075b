import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { applyThemeChoice, storedThemeChoice } from './theme/theme-choice';
import './styles.css';

// Before the first render: a remembered light or dark choice applies from the first frame.
applyThemeChoice(storedThemeChoice());

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
