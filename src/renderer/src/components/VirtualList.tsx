import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

export type RowKey = string | number;

interface VirtualListProps {
  label: string;
  count: number;
  /** Changes whenever the rows do, even when their number does not (a full ring moves under a stable count). */
  version: number;
  rowHeight: number;
  /** Renders row `index`; the list positions it. */
  renderRow(index: number): ReactNode;
  /** A stable key for row `index`, so the selection and DOM nodes stay with their row while the ring moves. */
  rowKey(index: number): RowKey;
  selectedKey: RowKey | null;
  onSelect(key: RowKey | null, index: number | null): void;
  /** Keep the newest row in view as rows arrive; scrolling up turns it off, scrolling to the end back on. */
  follow: boolean;
  onFollowChange(follow: boolean): void;
  header?: ReactNode;
  testId: string;
}

/** Rows rendered beyond each edge of the view: enough for a fast wheel, few enough to re-render each batch. */
const OVERSCAN = 6;

/** The rows to render for a scroll position: plain arithmetic, since every row has the same height. */
export function windowOf(scrollTop: number, viewport: number, rowHeight: number, count: number) {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN);
  const last = Math.min(count, Math.ceil((scrollTop + viewport) / rowHeight) + OVERSCAN);
  return { first, last: Math.max(first, last) };
}

/**
 * A keyboard-navigable list that renders only the rows in view, so 100,000 rows cost what 40 do. Rows have one
 * fixed height, so the window is arithmetic: no per-row measurement, nothing proportional to the row count on
 * any render (a general virtualizer rebuilt a 100,000-entry measurement table each time a batch arrived, which
 * was the long task when opening the logs of a flooding server). Arrow keys, Page Up/Down, Home and End move the
 * selection; Escape clears it.
 */
export function VirtualList(props: VirtualListProps) {
  const { count, version, rowHeight, selectedKey, onSelect, follow, onFollowChange, rowKey } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    setViewport(el.clientHeight);
    const observer = new ResizeObserver(() => setViewport(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const scrollToIndex = (index: number) => {
    const el = scrollRef.current;
    if (!el) return;
    const top = index * rowHeight;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = top + rowHeight - el.clientHeight;
  };

  useEffect(() => {
    const el = scrollRef.current;
    if (!follow || !el || count === 0) return;
    // At the next frame, which lays the list out anyway, rather than forcing a layout in this task. scrollTop is
    // clamped to the end, so the total size is enough: no need to read scrollHeight.
    const frame = requestAnimationFrame(() => (el.scrollTop = count * rowHeight));
    return () => cancelAnimationFrame(frame);
  }, [follow, count, version, rowHeight]);

  const onScroll = () => {
    const el = scrollRef.current;
    if (!el) return;
    setScrollTop(el.scrollTop);
    const atEnd = el.scrollHeight - el.scrollTop - el.clientHeight < rowHeight * 1.5;
    if (atEnd !== follow) onFollowChange(atEnd);
  };

  const { first, last } = windowOf(scrollTop, viewport, rowHeight, count);
  const items: Array<{ index: number; start: number }> = [];
  for (let index = first; index < last; index++) items.push({ index, start: index * rowHeight });
  const selectedIndex =
    selectedKey === null ? null : (items.find((i) => rowKey(i.index) === selectedKey)?.index ?? null);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && selectedKey !== null) {
      e.preventDefault();
      onSelect(null, null);
      return;
    }
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / rowHeight) - 1);
    const from = selectedIndex ?? (e.key === 'ArrowUp' ? (items.at(-1)?.index ?? count) : (items[0]?.index ?? 0) - 1);
    const to =
      e.key === 'ArrowDown'
        ? from + 1
        : e.key === 'ArrowUp'
          ? from - 1
          : e.key === 'PageDown'
            ? from + page
            : e.key === 'PageUp'
              ? from - page
              : e.key === 'Home'
                ? 0
                : e.key === 'End'
                  ? count - 1
                  : null;
    if (to === null || count === 0) return;
    e.preventDefault();
    const index = Math.min(count - 1, Math.max(0, to));
    onSelect(rowKey(index), index);
    scrollToIndex(index);
    if (e.key !== 'End' && follow) onFollowChange(false);
  };

  return (
    <div className="vlist-frame" data-testid={props.testId} data-count={count}>
      {props.header}
      <div
        ref={scrollRef}
        className="vlist"
        tabIndex={0}
        role="listbox"
        aria-label={props.label}
        aria-activedescendant={selectedIndex !== null ? `${props.testId}-${selectedIndex}` : undefined}
        onScroll={onScroll}
        onKeyDown={onKeyDown}
      >
        <div className="vlist-inner" style={{ height: count * rowHeight }}>
          {items.map((item) => (
            <div
              // Keyed by place in the window, not by row: as rows stream in, the same DOM nodes show the new rows
              // (a text update) instead of being torn down and rebuilt on every batch.
              key={item.index - first}
              id={`${props.testId}-${item.index}`}
              role="option"
              aria-selected={item.index === selectedIndex}
              className={`vrow ${item.index === selectedIndex ? 'selected' : ''}`}
              style={{ transform: `translateY(${item.start}px)`, height: rowHeight }}
              onClick={() =>
                item.index === selectedIndex ? onSelect(null, null) : onSelect(rowKey(item.index), item.index)
              }
            >
              {props.renderRow(item.index)}
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
