import type { ReactNode } from 'react';
import { CopyButton } from './copy-button';
import { EmptyState } from './empty-state';

function snippet(endpoint: string): string {
  return `import { track } from 'mcptrail';

// After creating your McpServer (SDK v1 or v2), before connecting a transport:
track(server, {
  projectKey: process.env.MCPTRAIL_KEY, // the project's write key
  endpoint: '${endpoint}',
  // Who is calling; return null to record the request as anonymous.
  identify: (request, context) => ({ userId: context.authInfo?.clientId }),
});`;
}

/** The empty state: what to add to an MCP server so that data shows up here. */
export function InstrumentSnippet({ title, children }: { title: string; children?: ReactNode }) {
  const text = snippet(window.location.origin);
  return (
    <EmptyState title={title}>
      {children ?? (
        <p>Instrument your MCP server with the mcptrail SDK and its requests show up here within seconds.</p>
      )}
      <ol className="steps">
        <li>
          <code>npm install mcptrail</code>
        </li>
        <li>Add one call to your server:</li>
      </ol>
      <div className="snippet">
        <CopyButton text={text} label="Copy snippet" />
        <pre className="code">{text}</pre>
      </div>
      <p className="muted small">
        The write key comes from <code>mcptrail projects create NAME</code> (or was printed on the collector&apos;s
        first start). Try <code>npm run demo</code> to see the dashboard with sample data.
      </p>
    </EmptyState>
  );
}
