/** The software version a snapshot records: the package's name and version. */
import pkg from '../../package.json' with { type: 'json' };

export const SOFTWARE_VERSION = `${pkg.name} ${pkg.version}`;
