import { secretFiles } from '../../rules/secretFiles.js';
import { built, ruleCases } from '../helpers/ruleCases.js';

const key = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n';

ruleCases(secretFiles, {
  valid: [
    {
      name: 'a key deleted in a later layer is gone from the final image (its bytes are waste, not a finding here)',
      image: built({ layers: [{ items: [{ name: 'id_rsa', content: '-----BEGIN RSA PRIVATE KEY-----\nx\n' }] }, { items: [{ name: '.wh.id_rsa', content: '' }] }] }),
    },
    {
      name: 'a public key in a text, a CA certificate, an empty .env',
      image: built({
        layers: [
          {
            items: [
              { name: 'app/' },
              { name: 'app/readme.txt', content: 'see -----BEGIN PUBLIC KEY----- below' },
              { name: 'app/.env', content: '' },
              { name: 'etc/' },
              { name: 'etc/ssl/' },
              { name: 'etc/ssl/certs/' },
              { name: 'etc/ssl/certs/ca.pem', content: '-----BEGIN CERTIFICATE-----\n' },
            ],
          },
        ],
      }),
    },
  ],
  invalid: [
    {
      name: 'a private key found by its content whatever its name, credential files by name',
      image: built({
        layers: [
          {
            items: [
              { name: 'app/' },
              { name: 'app/config.bin', content: key },
              { name: 'app/.env', content: 'DB_PASSWORD=hunter2\n' },
              { name: 'root/.aws/credentials', content: '[default]\naws_secret_access_key=x\n' },
              { name: 'app/readme.txt', content: 'see -----BEGIN PUBLIC KEY----- below' },
              { name: 'etc/ssl/certs/ca.pem', content: '-----BEGIN CERTIFICATE-----\n' },
            ],
          },
        ],
      }),
      findings: [
        { path: '/app/.env', layer: 0, message: /looks like a dotenv file/ },
        { path: '/app/config.bin', layer: 0, message: /holds a private key \(-----BEGIN OPENSSH PRIVATE KEY-----\)/ },
        { path: '/root/.aws/credentials', layer: 0, message: /looks like AWS credentials/ },
      ],
    },
  ],
});
