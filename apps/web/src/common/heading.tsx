import { useEffect, useRef, type ReactNode } from 'react';

/**
 * A page's heading: it names the tab (document.title) and takes the focus when the page opens, so that a screen
 * reader or keyboard user who followed a link starts at the new page's top rather than at the document's body.
 */
export function PageHeading({ title, children }: { title: string; children?: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · ioa console`;
    ref.current?.focus();
  }, [title]);
  return <h1 ref={ref} tabIndex={-1}>{children ?? title}</h1>;
}
