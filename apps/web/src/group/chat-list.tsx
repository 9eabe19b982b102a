import { useVirtualizer } from '@tanstack/react-virtual';
import { useLayoutEffect, useRef } from 'react';
import type { Envelope } from '@ioa/protocol';
import { ChatLine, type TaskLine } from './chat';

/**
 * The chat, rendering only the rows on screen (a group of 10,000 messages scrolls like one of ten). It follows the
 * newest message while the reader is at the bottom, and stays put while they read further up.
 */
export function ChatList({ messages, tasks }: { messages: Envelope[]; tasks: Map<string, TaskLine> }) {
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const rows = useVirtualizer({
    count: messages.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 60,
    overscan: 10,
    getItemKey: (i) => messages[i].header.seq,
  });
  // Following the newest: after every batch of messages, and again as measured rows turn out taller than estimated.
  const total = rows.getTotalSize();
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && atBottom.current) el.scrollTop = el.scrollHeight;
  }, [messages.length, total]);
  // Only the reader's own scrolling (wheel, touch, keys, the scrollbar) decides whether to follow: the scrolls this
  // list and the virtualizer make while rows are measured say nothing about where the reader wants to be.
  const reading = useRef(false);
  const byReader = () => (reading.current = true);
  const onScroll = () => {
    const el = scroller.current;
    if (!el || !reading.current) return;
    reading.current = false;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
  };
  return (
    // Not a live region: a replay of thousands of rows, and every row mounted while scrolling, would all be announced.
    <div ref={scroller} className="chat-scroll" onScroll={onScroll} tabIndex={0} role="region" aria-label="messages"
      onWheel={byReader} onTouchMove={byReader} onKeyDown={byReader} onPointerDown={byReader}>
      <ol className="chat" style={{ height: total }}>
        {rows.getVirtualItems().map((row) => (
          <ChatLine key={row.key} ref={rows.measureElement} data-index={row.index} aria-setsize={messages.length} aria-posinset={row.index + 1}
            env={messages[row.index]} tasks={tasks} style={{ transform: `translateY(${row.start}px)` }} />
        ))}
      </ol>
    </div>
  );
}
