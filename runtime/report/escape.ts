// Text put into report.html, in element content and attribute values alike: layer and network
// names come from the user's files, so every character HTML or SVG gives a meaning is escaped.
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const esc = (text: string | number): string => String(text).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
