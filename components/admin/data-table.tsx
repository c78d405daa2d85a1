// A compact, horizontally scrollable table for the dashboard. The scroll area is focusable so keyboard
// users can scroll it too.
export interface Column<T> {
  header: string;
  cell: (row: T) => React.ReactNode;
  numeric?: boolean;
}

export function DataTable<T>({ caption, columns, rows, rowKey, empty = "Nothing in this range.", testId }: { caption: string; columns: Column<T>[]; rows: T[]; rowKey: (row: T, i: number) => string; empty?: string; testId?: string }) {
  return (
    <section className="min-w-0 rounded-2xl border border-slate-200 bg-white shadow-sm" data-testid={testId}>
      <div className="overflow-x-auto" tabIndex={0} role="region" aria-label={caption}>
        <table className="w-full min-w-max text-left text-sm">
          <caption className="px-4 pt-4 pb-2 text-left text-base font-semibold text-slate-900">{caption}</caption>
          <thead>
            <tr className="border-y border-slate-100 bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
              {columns.map((c) => (
                <th key={c.header} scope="col" className={`px-4 py-2 font-medium ${c.numeric ? "text-right" : ""}`}>
                  {c.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={columns.length} className="px-4 py-6 text-center text-slate-600">
                  {empty}
                </td>
              </tr>
            ) : (
              rows.map((row, i) => (
                <tr key={rowKey(row, i)} className="border-t border-slate-100">
                  {columns.map((c) => (
                    <td key={c.header} className={`px-4 py-2 ${c.numeric ? "text-right tabular-nums" : ""}`}>
                      {c.cell(row)}
                    </td>
                  ))}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
