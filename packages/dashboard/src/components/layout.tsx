import { NavLink, Outlet } from 'react-router-dom';
import { useAuth } from '../auth/auth-context';

const NAV = [
  { to: '/', label: 'Overview', end: true },
  { to: '/sessions', label: 'Sessions', end: false },
  { to: '/users', label: 'Users', end: false },
  { to: '/tools', label: 'Tools', end: false },
] as const;

export function Layout() {
  const { state, signOut } = useAuth();
  return (
    <div className="app">
      <header className="topbar">
        <div className="topbar-inner">
          <NavLink to="/" className="brand" end>
            <img src="/favicon.svg" alt="" width={22} height={22} />
            mcptrail
          </NavLink>
          <nav className="nav" aria-label="Main">
            {NAV.map((item) => (
              <NavLink key={item.to} to={item.to} end={item.end} className={({ isActive }) => (isActive ? 'active' : '')}>
                {item.label}
              </NavLink>
            ))}
          </nav>
          <div className="topbar-right">
            {state.status === 'signed-in' && (
              <span className="project" title={`project ${state.project.id}`} data-testid="project-name">
                {state.project.name}
              </span>
            )}
            <button type="button" className="button secondary small" onClick={() => signOut()}>
              Sign out
            </button>
          </div>
        </div>
      </header>
      <main className="main">
        <Outlet />
      </main>
    </div>
  );
}
