import { Box, Center, Checkbox, Loader, Table } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { type CSSProperties, type ReactNode, useEffect, useRef } from 'react';

export type Column<T> = {
  id: string;
  header: ReactNode;
  /** A CSS width; the table lays out fixed, so rows never change the column widths. */
  width?: string | number;
  render: (row: T) => ReactNode;
};

export type Selection = {
  selected: ReadonlySet<string>;
  toggle: (id: string) => void;
  toggleAll: () => void;
  rowLabel: (id: string) => string;
  allLabel: string;
};

const rowHeight = 44;
/** Start reading the next page this many rows before the end. */
const prefetchRows = 20;

/**
 * A table that renders only the rows in view (TanStack Virtual), so a list of thousands scrolls
 * as lightly as one of fifty. Rows between the rendered ones are stood in for by two spacer rows;
 * near the end, `onLoadMore` asks for the next page.
 */
export function VirtualTable<T>({
  rows,
  rowKey,
  columns,
  onRowClick,
  hasMore,
  loadingMore,
  onLoadMore,
  selection,
  height = 'calc(100dvh - 300px)',
  testId,
  rowTestId,
}: {
  rows: readonly T[];
  rowKey: (row: T) => string;
  columns: readonly Column<T>[];
  onRowClick?: (row: T) => void;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  selection?: Selection | undefined;
  height?: string;
  testId?: string;
  rowTestId?: string;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const count = rows.length + (hasMore ? 1 : 0);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const last = items.at(-1);

  useEffect(() => {
    if (last && hasMore && !loadingMore && last.index >= rows.length - prefetchRows) onLoadMore();
  }, [last, hasMore, loadingMore, rows.length, onLoadMore]);

  const paddingTop = items[0]?.start ?? 0;
  const paddingBottom = last ? virtualizer.getTotalSize() - last.end : 0;
  const columnCount = columns.length + (selection ? 1 : 0);
  const selectedCount = selection ? rows.filter((row) => selection.selected.has(rowKey(row))).length : 0;
  const cell: CSSProperties = { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' };

  return (
    <Box
      ref={scrollRef}
      style={{ height, minHeight: 320, overflow: 'auto', contain: 'strict' }}
      data-testid={testId}
      data-rows={rows.length}
    >
      <Table
        stickyHeader
        highlightOnHover
        verticalSpacing={0}
        style={{ tableLayout: 'fixed', minWidth: 900 }}
        aria-rowcount={rows.length + 1}
      >
        <Table.Thead>
          <Table.Tr>
            {selection && (
              <Table.Th w={44}>
                <Checkbox
                  aria-label={selection.allLabel}
                  checked={rows.length > 0 && selectedCount === rows.length}
                  indeterminate={selectedCount > 0 && selectedCount < rows.length}
                  onChange={selection.toggleAll}
                  data-testid="select-all"
                />
              </Table.Th>
            )}
            {columns.map((column) => (
              <Table.Th key={column.id} w={column.width}>
                {column.header}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {paddingTop > 0 && (
            <tr aria-hidden>
              <td colSpan={columnCount} style={{ height: paddingTop, padding: 0, border: 0 }} />
            </tr>
          )}
          {items.map((item) => {
            const row = rows[item.index];
            if (row === undefined) {
              return (
                <Table.Tr key="loading" style={{ height: rowHeight }}>
                  <Table.Td colSpan={columnCount}>
                    <Center>
                      <Loader size="sm" />
                    </Center>
                  </Table.Td>
                </Table.Tr>
              );
            }
            const id = rowKey(row);
            const selected = selection?.selected.has(id) ?? false;
            return (
              <Table.Tr
                key={id}
                data-index={item.index}
                data-testid={rowTestId}
                data-id={id}
                aria-rowindex={item.index + 2}
                aria-selected={selection ? selected : undefined}
                bg={selected ? 'var(--mantine-primary-color-light)' : undefined}
                style={{ height: rowHeight, cursor: onRowClick ? 'pointer' : undefined }}
                onClick={onRowClick ? () => onRowClick(row) : undefined}
              >
                {selection && (
                  <Table.Td onClick={(event) => event.stopPropagation()}>
                    <Checkbox
                      aria-label={selection.rowLabel(id)}
                      checked={selected}
                      onChange={() => selection.toggle(id)}
                      data-testid="select-row"
                    />
                  </Table.Td>
                )}
                {columns.map((column) => (
                  <Table.Td key={column.id} style={cell}>
                    {column.render(row)}
                  </Table.Td>
                ))}
              </Table.Tr>
            );
          })}
          {paddingBottom > 0 && (
            <tr aria-hidden>
              <td colSpan={columnCount} style={{ height: paddingBottom, padding: 0, border: 0 }} />
            </tr>
          )}
        </Table.Tbody>
      </Table>
    </Box>
  );
}
