// Turns the microphone into 20 ms frames of 16-bit mono PCM at the target rate (16 kHz): channels are averaged,
// the context's rate (often 48 kHz or 44.1 kHz) is brought down with a box filter (each output sample is the mean of
// the input it covers, which also removes most of what would alias), and every full frame goes to the page.
class Pcm16Capture extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const o = (options && options.processorOptions) || {};
    this.ratio = sampleRate / (o.targetRate || 16000); // `sampleRate` is the context's rate (worklet global)
    this.frameSamples = o.frameSamples || 320;
    this.frame = new Int16Array(this.frameSamples);
    this.fill = 0;
    this.acc = 0;
    this.pos = 0;
  }

  process(inputs) {
    const input = inputs[0];
    if (!input || input.length === 0) {
      return true;
    }
    const left = input[0];
    const right = input.length > 1 ? input[1] : null;
    for (let i = 0; i < left.length; i++) {
      const x = right ? (left[i] + right[i]) / 2 : left[i];
      let remaining = 1;
      while (remaining > 1e-9) {
        const take = Math.min(this.ratio - this.pos, remaining);
        this.acc += x * take;
        this.pos += take;
        remaining -= take;
        if (this.pos >= this.ratio - 1e-9) {
          this.emit(this.acc / this.ratio);
          this.acc = 0;
          this.pos = 0;
        }
      }
    }
    return true;
  }

  emit(value) {
    const s = Math.max(-1, Math.min(1, value));
    this.frame[this.fill++] = s < 0 ? Math.round(s * 0x8000) : Math.round(s * 0x7fff);
    if (this.fill === this.frameSamples) {
      const full = this.frame;
      this.port.postMessage(full, [full.buffer]); // transferred: `full` is empty from here on
      this.frame = new Int16Array(this.frameSamples);
      this.fill = 0;
    }
  }
}

registerProcessor("pcm16-capture", Pcm16Capture);
