import { useEffect, useState, type FormEvent } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { ApiError } from '../api/api-error';
import { useAuth } from '../auth/auth-context';

interface FromState {
  from?: string;
  reason?: 'expired';
}

export function SignInPage() {
  const { state, signIn } = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  const from = (location.state as FromState | null)?.from ?? '/';
  const expired = (location.state as FromState | null)?.reason === 'expired';
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    document.title = 'Sign in · mcptrail';
  }, []);

  if (state.status === 'signed-in') return <Navigate to={from} replace />;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const trimmed = key.trim();
    if (!trimmed) {
      setProblem('Paste a read key first.');
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      await signIn(trimmed);
      navigate(from, { replace: true });
    } catch (error) {
      setProblem(
        error instanceof ApiError && error.unauthorized
          ? 'The collector did not accept this key. Use a project read key.'
          : `Could not sign in: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="sign-in">
      <form className="sign-in-card" onSubmit={submit}>
        <div className="brand large">
          <img src="/favicon.svg" alt="" width={30} height={30} />
          mcptrail
        </div>
        <h1>Sign in to your project</h1>
        <p className="muted">
          Paste the project&apos;s <strong>read key</strong>. This browser keeps it for all its tabs until you sign out,
          and sends it only to this collector, as a bearer token.
        </p>
        {expired && !problem && <p className="notice">Your key was refused; sign in again.</p>}
        <label className="field">
          <span>Read key</span>
          <input
            type="password"
            name="readKey"
            autoComplete="off"
            spellCheck={false}
            // biome-ignore lint/a11y/noAutofocus: the key field is the page's only task
            autoFocus
            value={key}
            onChange={(e) => setKey(e.target.value)}
            placeholder="mtr_…"
            data-testid="read-key"
          />
        </label>
        {problem && (
          <p className="error-text" role="alert">
            {problem}
          </p>
        )}
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
        <p className="muted small">
          No key? <code>npx mcptrail projects create NAME</code> prints one, and <code>npm run demo</code> prints a key
          for sample data.
        </p>
      </form>
    </div>
  );
}
