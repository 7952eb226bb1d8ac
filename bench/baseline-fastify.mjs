// The framework floor: Fastify configured as `bkend dev` configures it (no logger, the same router options), with
// the hooks every bkend API request passes (a root onRequest, a route preHandler) doing nothing.
// Like the bare baseline, GET answers the current body (`PUT /_body` replaces it, so it serves the very bytes the
// emulator returned) and POST echoes the JSON it received with an id. What separates it from bare node:http is what
// the framework alone costs; what separates bkend from it is bkend's own work.
import Fastify from 'fastify'

let body = JSON.stringify({ status: 'ok' })
const app = Fastify({ logger: false, routerOptions: { ignoreTrailingSlash: true, maxParamLength: 100 } })
const nothing = (_request, _reply, done) => done()
app.addHook('onRequest', nothing)
app.put('/_body', { preHandler: nothing }, (request, reply) => {
  body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body)
  reply.status(204).send()
})
app.get('/*', { preHandler: nothing }, (_request, reply) => reply.type('application/json; charset=utf-8').send(body))
app.post('/*', { preHandler: nothing }, (request, reply) => reply.status(201).send({ id: '0'.repeat(24), ...request.body }))
app.addContentTypeParser('text/plain', { parseAs: 'string' }, (_request, text, done) => done(null, text))
await app.listen({ port: 0, host: '127.0.0.1' })
process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${app.server.address().port}` }) + '\n')
