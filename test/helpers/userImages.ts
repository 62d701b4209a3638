import type { ImageSpec } from './buildArchive.js';

const passwd = { name: 'etc/passwd', content: 'root:x:0:0:root:/root:/bin/sh\ntoor:x:0:0::/:/bin/sh\napp:x:1000:1000::/app:/bin/sh\n' };
const group = { name: 'etc/group', content: 'root:x:0:\napp:x:1000:\n' };

/** An image whose config User is `user`, with root, toor (uid 0) and app (1000) in /etc/passwd, root and app in /etc/group. */
export const withUser = (user: string): ImageSpec => ({ config: { User: user, Cmd: ['sh'] }, layers: [{ items: [{ name: 'etc/' }, passwd, group] }] });
