import { useState } from 'react';
import { NavLink, Outlet } from 'react-router-dom';
import { useAuth } from '../auth/auth-context';
import { timeZoneLabel } from '../format/format-time';
import { ThemeToggle } from '../theme/theme-toggle';
import { DataText } from './data-text';

const NAV = [
  { to: '/', label: 'Overview', end: true },
  { to: '/sessions', label: 'Sessions', end: false },
  { to: '/users', label: 'Users', end: false },
  { to: '/failures', label: 'Failures', end: false },
  { to: '/clients', label: 'Clients', end: false },
  { to: '/tools', label: 'Tools', end: false },
  { to: '/paths', label: 'Paths', end: false },
  { to: '/what-if', label: 'What-if', end: false },
] as const;

/** The top bar and the page. On narrow screens the navigation folds into a menu. */
export function Layout() {
  const { state, signOut } = useAuth();
  const [menuOpen, setMenuOpen] = useState(false);
  const closeMenu = () => setMenuOpen(false);

  return (
    <div className="app">
      <header className="topbar">
        <div className="topbar-inner">
          <NavLink to="/" className="brand" end onClick={closeMenu}>
            <img src="/favicon.svg" alt="" width={22} height={22} />
            mcptrail
          </NavLink>
          <button
            type="button"
            className="menu-button"
            aria-expanded={menuOpen}
            aria-controls="main-menu"
            onClick={() => setMenuOpen((open) => !open)}
            data-testid="menu-button"
          >
            <span aria-hidden="true">{menuOpen ? '✕' : '☰'}</span> Menu
          </button>
          <div id="main-menu" className={menuOpen ? 'topbar-menu open' : 'topbar-menu'}>
            <nav className="nav" aria-label="Main">
              {NAV.map((item) => (
                <NavLink
                  key={item.to}
                  to={item.to}
                  end={item.end}
                  className={({ isActive }) => (isActive ? 'active' : '')}
                  onClick={closeMenu}
                >
                  {item.label}
                </NavLink>
              ))}
            </nav>
            <div className="topbar-right">
              {state.status === 'signed-in' && (
                <span className="project" title={`project ${state.project.id}`} data-testid="project-name">
                  <DataText value={state.project.name} />
                </span>
              )}
              <ThemeToggle />
              <button type="button" className="button secondary small" onClick={() => signOut()}>
                Sign out
              </button>
            </div>
          </div>
        </div>
      </header>
      <main className="main">
        <Outlet />
      </main>
      <footer className="footer muted small" data-testid="time-zone">
        Times are in your time zone, {timeZoneLabel()}; hover a time for the exact instant.
      </footer>
    </div>
  );
}
