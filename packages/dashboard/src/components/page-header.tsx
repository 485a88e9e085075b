import { useEffect, type ReactNode } from 'react';
import { revealControls } from '../format/reveal-controls';

interface Props {
  title: ReactNode;
  /** The browser tab's title; defaults to `title` when that is plain text. */
  documentTitle?: string;
  subtitle?: ReactNode;
  actions?: ReactNode;
}

export function PageHeader({ title, documentTitle, subtitle, actions }: Props) {
  const tabTitle = documentTitle ?? (typeof title === 'string' ? title : undefined);
  useEffect(() => {
    if (tabTitle) document.title = `${revealControls(tabTitle)} · mcptrail`;
  }, [tabTitle]);
  return (
    <div className="page-header">
      <div>
        <h1>{title}</h1>
        {subtitle && <div className="subtitle">{subtitle}</div>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </div>
  );
}
