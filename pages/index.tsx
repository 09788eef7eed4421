export default function Home() {
  return (
    <main>
      <h1>STAR</h1>
    </main>
  );
}
