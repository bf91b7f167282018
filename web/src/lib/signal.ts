// "Time!": a short beep (WebAudio) and a buzz (vibration) where the browser allows them.
// Browsers allow sound only after the person interacted with the page (they pressed Start).

let audio: AudioContext | null = null;

export function signalEnd(): { sound: boolean; vibration: boolean } {
  let sound = false;
  try {
    const Context = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (Context) {
      audio ??= new Context();
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.frequency.value = 880;
      gain.gain.setValueAtTime(0.2, audio.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.4);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start();
      oscillator.stop(audio.currentTime + 0.4);
      sound = true;
    }
  } catch {
    // No sound (blocked or unsupported): the screen still says "Time!".
  }
  const vibration = typeof navigator.vibrate === "function" ? navigator.vibrate([200, 100, 200]) : false;
  return { sound, vibration };
}
