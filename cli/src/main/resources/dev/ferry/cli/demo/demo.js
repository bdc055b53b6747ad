// The demo page: calls Greeter and Daininki through ferry with gRPC-Web, and shows each answer as
// it arrives. What the servers say reaches the page through textContent, never as markup.
import {decode, encode} from './protobuf.js';
import {call} from './grpc-web.js';

// The messages of helloworld.proto and daininki.proto that the page sends and reads.
const HelloRequest = {name: [1, 'string']};
const HelloReply = {message: [1, 'string']};
const VoteRequest = {candidate: [1, 'string']};
const VoteReply = {candidate: [1, 'string'], votes: [2, 'int64'], served_by: [3, 'string']};

// The greeter's stream knobs; the demo's CORS lets the page send these two headers.
const STREAM_HEADERS = {'x-stream-count': '5', 'x-stream-interval-ms': '500'};

// ferry demo prints the page's address with the proxy to call in it.
const proxy = new URLSearchParams(location.search).get('proxy') ?? 'http://127.0.0.1:8080';

const $ = (id) => document.getElementById(id);

/**
 * Calls method with request (bytes) and hands each reply (bytes) to onReply; resolves to null when
 * the call ends OK, else to its failure as one line: status name and message.
 */
async function rpc(method, request, onReply, headers = {}) {
  try {
    const status = await call(proxy, method, request, {headers, onMessage: onReply});
    return status.code === 0 ? null : status.name + ': ' + status.message;
  } catch (e) {
    return 'no answer from ' + proxy + ' (' + e.message + ')';
  }
}

function show(element, text, failed) {
  element.textContent = text;
  element.classList.toggle('error', Boolean(failed));
}

function append(list, text, failed) {
  const item = document.createElement('li');
  show(item, text, failed);
  list.append(item);
}

$('proxy').textContent = proxy;

$('greeter').addEventListener('submit', async (event) => {
  event.preventDefault();
  const request = encode(HelloRequest, {name: $('name').value});
  let greeting = '';
  const failure = await rpc('helloworld.Greeter/SayHello', request, (reply) => {
    greeting = decode(HelloReply, reply).message;
  });
  show($('greeting'), failure ?? greeting, failure);
});

$('stream').addEventListener('click', async () => {
  const replies = $('replies');
  replies.replaceChildren();
  $('stream').disabled = true;
  show($('stream-status'), 'streaming…');
  const request = encode(HelloRequest, {name: $('name').value});
  const failure = await rpc(
    'helloworld.Greeter/SayHelloStreamReply',
    request,
    (reply) => append(replies, decode(HelloReply, reply).message),
    STREAM_HEADERS,
  );
  show($('stream-status'), failure ?? 'done: ' + replies.children.length + ' replies', failure);
  $('stream').disabled = false;
});

$('daininki').addEventListener('submit', async (event) => {
  event.preventDefault();
  const request = encode(VoteRequest, {candidate: $('candidate').value});
  let vote = '';
  const failure = await rpc('helloworld.Daininki/Vote', request, (reply) => {
    const r = decode(VoteReply, reply);
    vote = r.candidate + ': ' + r.votes + (r.votes === 1 ? ' vote' : ' votes') + ', served by ' + r.served_by;
  });
  append($('votes'), failure ?? vote, failure);
});
