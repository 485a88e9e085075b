import { Fragment, type ReactNode, type TdHTMLAttributes, type ThHTMLAttributes } from 'react';

/** `data-*` attributes, which tests and styles find rows and cells by. */
type DataAttributes = { [name: `data-${string}`]: string | number | undefined };

/** One column of a `DataTable`: its heading, and what each row shows under it. */
export interface Column<Row> {
  header: ReactNode;
  /** Figures: the heading and the cells right-aligned (`num`). */
  numeric?: boolean;
  /** The heading's attributes beyond its class: a title that explains the column, `aria-sort`. */
  headerProps?: ThHTMLAttributes<HTMLTableCellElement> & DataAttributes;
  cell(row: Row, index: number): ReactNode;
  /** Every cell's class, beside `num`. */
  cellClass?: string;
  /** A row's cell's own attributes: a class (such as `countTone`'s), a title, `data-*`. */
  cellProps?(row: Row): TdHTMLAttributes<HTMLTableCellElement> & DataAttributes;
}

/** The class of a count that is bad news when above zero: red then, muted at zero. */
export const countTone = (count: number) => (count > 0 ? 'error-text' : 'muted');

const classes = (...names: (string | false | undefined)[]) => names.filter(Boolean).join(' ') || undefined;

/**
 * A table of `rows` in the page's table style, scrolling inside its frame on a narrow screen. Columns that a view
 * leaves out are given as `false`.
 */
export function DataTable<Row>({
  columns,
  rows,
  rowKey,
  rowProps,
  details,
  testId,
  className = 'table',
}: {
  // The rows alone tell the row type: a column or row attributes shared between tables may take less of a row.
  columns: readonly (Column<NoInfer<Row>> | false)[];
  rows: readonly Row[];
  rowKey(row: NoInfer<Row>): string;
  rowProps?(row: NoInfer<Row>, index: number): { className?: string } & DataAttributes;
  /** What a row shows below it, across every column, when it has anything to (an expanded row). */
  details?(row: NoInfer<Row>, index: number): ReactNode;
  testId: string;
  className?: string;
}) {
  const shown = columns.filter((column) => column !== false);
  return (
    <div className="table-wrap">
      <table className={className} data-testid={testId}>
        <thead>
          <tr>
            {shown.map((column, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a table's columns are a fixed list, known by place
              <th key={i} {...column.headerProps} className={classes(column.numeric && 'num')}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => {
            const below = details?.(row, index);
            return (
              <Fragment key={rowKey(row)}>
                <tr {...rowProps?.(row, index)}>
                  {shown.map((column, i) => {
                    const props = column.cellProps?.(row);
                    return (
                      <td
                        // biome-ignore lint/suspicious/noArrayIndexKey: as the headings'
                        key={i}
                        {...props}
                        className={classes(column.numeric && 'num', column.cellClass, props?.className)}
                      >
                        {column.cell(row, index)}
                      </td>
                    );
                  })}
                </tr>
                {below && (
                  <tr className="details-row">
                    <td colSpan={shown.length}>{below}</td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
