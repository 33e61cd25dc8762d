// Every test tier runs as a development deployment: the services' env classes require LIENTHONG_ENV (no default,
// ADR 0010), and tests that compose modules in-process read it like a service started by deploy/local does.
process.env.LIENTHONG_ENV ??= 'development';
